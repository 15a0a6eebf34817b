"""Re-seal the hash chains and recompute the keyed hashes with the audit secret FAZHI_AUDIT_KEY.

Before this migration both were keyed by a sub-key of the last field key (docs/audit.md,
"Upgrading"). Entries are re-hashed only where they verify under one of the configured keys.
"""

from django.db import migrations

# Keyed hashes as they stand at this migration: {(app, model): {hash_field: source_field}}.
KEYED_HASHES = {
    ("core", "Person"): {"id_number_hash": "id_number", "phone_hash": "phone"},
    ("disputes", "Dispute"): {"address_hash": "address"},
    ("disputes", "Party"): {"id_number_hash": "id_number", "phone_hash": "phone"},
    ("disputes", "VulnerablePerson"): {"id_number_hash": "id_number", "phone_hash": "phone"},
    ("disclosure", "DisclosureRequest"): {"applicant_id_number_hash": "applicant_id_number"},
}


def forwards(apps, schema_editor):
    from core.audit import changelog, timeline
    from core.audit.reseal import reseal_chain, rehash

    head = apps.get_model("core", "ChainHead")
    reseal_chain(timeline.CHAIN, apps.get_model("core", "TimelineEvent"), head, timeline.content_of)
    reseal_chain(changelog.CHAIN, apps.get_model("core", "ChangeLog"), head, changelog.content_of)
    for (app, name), pairs in KEYED_HASHES.items():
        model = apps.get_model(app, name)
        present = {f.name for f in model._meta.concrete_fields}
        rehash(model, {t: s for t, s in pairs.items() if t in present and s in present})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_changelog_actor_protect"),
        ("disputes", "0002_dispute_types"),
        ("disclosure", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
