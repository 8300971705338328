"""The units (perangkat daerah) of a lab and their people."""
