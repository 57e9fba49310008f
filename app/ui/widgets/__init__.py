"""Small widgets and the look they share: sidebar, top bar, icons, theme, plain-text
labels.
"""
