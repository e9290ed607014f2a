"""Callbacks ONDOC sends us: signed, idempotent (OND-10, GW-5)."""
