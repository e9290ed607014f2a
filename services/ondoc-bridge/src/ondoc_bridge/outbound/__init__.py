"""The outbound queue: what ONDOC must be told, retried until it is (OND-4, OND-6, OND-7)."""
