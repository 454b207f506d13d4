"""Collection law as versioned data tables with their sources, and the calculators that read them."""
