"""CardDAV (RFC 6352 over WebDAV, RFC 4918): the address books for phones and desktops.

routes.py maps the URLs (docs/carddav.md) to one endpoint per resource kind; auth.py
settles who calls (HTTP Basic); xml.py reads request bodies safely and writes
multistatus answers; props.py answers properties; propfind.py, cards.py and
reports.py are the methods. Every read and write goes through `rolodex.books`.
"""
