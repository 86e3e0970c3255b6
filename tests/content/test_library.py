"""The bundled taxonomies say what GovStack says: the listed building blocks, their waves, the team roles."""

from collections import Counter

from content.loading import LIBRARY, read_toml

BLOCKS = read_toml(LIBRARY / "building_blocks.toml")["building_block"]
ROLES = read_toml(LIBRARY / "roles.toml")["role"]


def test_the_listed_building_blocks_are_all_there():
    listed = {
        "Registration", "Messaging", "Scheduling", "Security", "Payments", "Information Mediator",
        "eMarketplace", "GIS", "Identification & Authentication", "Client Case Management",
        "Collaboration Management", "Analytics & Business Intelligence", "eLearning",
        "Reporting & Dashboards", "Content Management", "Data Collection", "Shared Data Repositories",
        "Digital Registries", "Terminology", "Artificial Intelligence", "Consent Management",
        "Mobility Management", "Workflow and Algorithm",
    }  # fmt: skip
    names = {block["name"] for block in BLOCKS}
    assert listed <= names
    assert names - listed == {"E-Signature", "Wallet"}


def test_waves():
    waves = {block["slug"]: block.get("wave") for block in BLOCKS}
    assert {slug for slug, wave in waves.items() if wave == 1} == {
        "digital-registries", "identification-authentication", "information-mediator", "payments",
        "registration",
    }  # fmt: skip
    assert {slug for slug, wave in waves.items() if wave == 2} == {
        "messaging", "scheduling", "workflow-algorithm", "consent-management",
    }  # fmt: skip
    assert set(waves.values()) == {1, 2, None}


def test_slugs_and_names_are_unique():
    for entries in (BLOCKS, ROLES):
        assert not [k for k, n in Counter(e["slug"] for e in entries).items() if n > 1]
        assert not [k for k, n in Counter(e["name"] for e in entries).items() if n > 1]


def test_roles_are_grouped_as_the_playbooks_sample_team():
    groups = {
        "Strategy", "Service design", "Procurement", "Legal", "Programme operations", "Domain", "Technology",
        "Data", "Capacity building", "Monitoring", "Support",
    }  # fmt: skip
    assert {role["group"] for role in ROLES} == groups
    by_slug = {role["slug"]: role["group"] for role in ROLES}
    assert by_slug["minister"] == by_slug["cio"] == by_slug["ciso"] == "Strategy"
    assert by_slug["service-design-focal-point"] == "Domain"
    assert by_slug["service-owner"] == "Technology"
    assert all(role["description"] for role in ROLES)
