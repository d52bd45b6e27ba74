"""Job API and the job lifecycle."""
