"""Venue codes for youth workers' QR posters, and daily totals of chats per venue.

A venue code is random (it says nothing about the place or anyone in it). Conversations
started from a venue are counted only as daily totals; no pseudonym is stored with them.
"""
