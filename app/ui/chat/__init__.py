"""The chat column: the conversation's messages, the answer being written, the message box
and the attachments above it.
"""
