from hypothesis import settings

# `pytest --hypothesis-profile=thorough` runs the property tests with many more examples.
settings.register_profile("thorough", max_examples=3000, deadline=None)
