"""The contract's path templates the kit addresses by name."""

MODELS = "/models/"
MODEL = "/models/{name}"
TYPES = "/models/types/"
TYPE = "/models/types/{name}"

# Operations as violations name them.
POST_MODELS = f"POST {MODELS}"
GET_MODELS = f"GET {MODELS}"
PATCH_MODEL = f"PATCH {MODEL}"
