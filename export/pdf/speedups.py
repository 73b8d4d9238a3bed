"""Switches for the speed-ups of the PDF tables: tests turn them off to compare the bytes."""
FAST_STYLES = True  # cell styles built once per kind of cell (tables._apply_style)
FAST_DRAW = True  # a paragraph's lines drawn from what was measured (para.Para.draw)
FAST_CALC = True  # row heights added up linearly (sizing.Sizing._calc_height)
