"""The contract's path templates the kit addresses by name."""

MODELS = "/models/"
MODEL = "/models/{name}"
TYPES = "/models/types/"
TYPE = "/models/types/{name}"
TYPE_SCHEMA = "/models/types/{name}/schema"
TYPE_ACTION = "/models/types/{dtype}/actions/{action_name}"
MODEL_HEALTH = "/models/{name}/health"
KNOWN_ACTION = "fetch_available_models"  # the one action the contract names (type openai)

# Operations as violations name them.
POST_MODELS = f"POST {MODELS}"
GET_MODELS = f"GET {MODELS}"
PATCH_MODEL = f"PATCH {MODEL}"
