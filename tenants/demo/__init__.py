"""Demo data drawn from the programme's published record: `labinov demo load`."""
