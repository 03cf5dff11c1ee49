"""The local service directory (see the signposting issue); empty until it lands."""
