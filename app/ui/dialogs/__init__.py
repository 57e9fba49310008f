"""The windows besides the main one: Settings, Models, This computer, Servers, Get started,
and the opener that connects them to the main window.
"""
