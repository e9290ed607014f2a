"""Online booking (SCH-13): the clinic website widget's public API and its pricing rules."""
