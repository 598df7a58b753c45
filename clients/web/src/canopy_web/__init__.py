"""Canopy's web client (docs/adr/0020-web-client.md).

A server-rendered Flask app that is the browser's backend-for-frontend: it keeps each person's
tokens on the server, calls only the public APIs through the gateway, as a mobile app would, and
renders pages with Jinja and htmx. It owns one small database: its sessions.
"""
