"""The web side of newsdesk: HTML reader, JSON and client APIs, output feeds."""
