"""The contract's path templates the kit addresses by name."""

MODELS = "/models/"
MODEL = "/models/{name}"
TYPES = "/models/types/"
TYPE = "/models/types/{name}"
