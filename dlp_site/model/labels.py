"""The words the site uses for the data's coded values (kinds of partnership, phases, RAG)."""

KIND_LABELS = {
    "primary_consortium": "Primary consortium",
    "secondary_network": "Secondary network",
    "early_years": "Early Years district",
    "citywide": "City-wide",
}
PHASE_LABELS = {
    "nursery": "Nursery",
    "primary": "Primary",
    "secondary": "Secondary",
    "all_through": "All-through",
    "special": "Special school",
    "resource_base": "Resource base",
    "post16": "Post-16",
    "alternative_provision": "Alternative provision",
}
RAG_LABELS = {"green": "Green: on track", "amber": "Amber: some concerns", "red": "Red: needs support"}
