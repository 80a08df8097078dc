"""The composition root of the web application: `create_app(settings)` mounts every router."""
