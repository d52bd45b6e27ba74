"""Real-time Streaming API: WebSocket protocol, sessions, subscribers."""
