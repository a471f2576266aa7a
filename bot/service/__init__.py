"""The webhook service: Flask receiver, Huey queue, review job."""
