"""The district's yearly targets, their denominators, and the figures against them."""
