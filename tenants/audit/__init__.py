"""The logs of administrative actions: LAN's platform-wide one and each lab's own."""
