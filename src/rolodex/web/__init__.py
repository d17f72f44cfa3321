"""The web pages: sign up, log in, developer apps, API keys, authorized apps, consent."""
