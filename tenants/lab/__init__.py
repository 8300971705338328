"""A lab's 5D workflow: the RPJMD, ideas with their IID profile and gates, action plans,
coaching, drum-up commitments and launches."""
