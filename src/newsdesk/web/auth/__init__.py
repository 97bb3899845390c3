"""Who is calling, and how they prove it. No routes here (the sign-in and settings pages are
in web/pages/account.py, the APIs' token endpoints beside their routes).

- passwords: hashing and checking, the rules for new passwords and user names, Fever's api_key
- sessions: the secret key, signed session cookies carrying a stored session's key
- csrf: the token every form and every browser write carries
- tokens: API tokens, Google Reader auth and action tokens, the Authorization headers
- limits: one throttle for every credential check; the client's address (trusted proxies)
- identity: the caller of a request, from a stored session, a token, an API password or a
  Fever key
- accounts: the first (admin) account
"""
