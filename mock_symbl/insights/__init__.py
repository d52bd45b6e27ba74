"""Pure insights engine: turns a conversation's messages into every insight Symbl serves.

No FastAPI, no SQL, no settings: same input, same output, byte for byte, ids included.
"""
