"""Media handling for the audio/video routes: sniffing, duration, streaming uploads, URL fetching."""
