"""ComponentResources of service-mesh-platform, one per concern."""
