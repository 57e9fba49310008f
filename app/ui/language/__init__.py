"""What Cove says and in which language: wording of domain facts and reasons, error cards'
texts, the translator.
"""
