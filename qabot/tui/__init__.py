"""The Textual chat of qabot (`qabot chat`); Textual is imported only from here."""
