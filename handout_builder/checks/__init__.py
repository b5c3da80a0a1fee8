"""What a leaflet reviewer checks in a document: reading level, lengths, typography,
publication requirements, translations; and how findings are shown."""
