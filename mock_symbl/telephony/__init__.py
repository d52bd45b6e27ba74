"""Telephony API: POST /v1/endpoint:connect (PSTN/SIP calls played from fixtures), speaker events."""
