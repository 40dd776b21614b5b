"""operationIds resolve to handlers by plain name; a wrong one stops the app at build time."""

from __future__ import annotations

import pytest

from handlers import model_types, models
from handlers.resolver import handler_for


def test_plain_names_map_to_snake_case_handlers():
    assert handler_for("updateModel") is models.update_model
    assert handler_for("getModelType") is model_types.get_model_type


@pytest.mark.parametrize("operation_id", ["noSuchOperation", "handlers.models.update_model", "", "x" * 10_000])
def test_an_unknown_operation_id_is_refused_with_its_name(operation_id):
    with pytest.raises(ValueError, match="must name exactly one function"):
        handler_for(operation_id)
