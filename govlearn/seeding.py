"""Synthetic demo users with realistic profiles, for demos and benchmarks (`manage.py seed_demo`)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django_countries import countries

from content.models import Role
from content.seeding import SeedContext

FIRST = [
    "Amina",
    "Kofi",
    "Lucía",
    "Nguyen",
    "Olena",
    "Rahul",
    "Sofia",
    "Tendai",
    "Yusuf",
    "Mei",
    "Jonas",
    "Fatou",
]
LAST = [
    "Diallo",
    "Mensah",
    "García",
    "Tran",
    "Kovalenko",
    "Sharma",
    "Rossi",
    "Moyo",
    "Demir",
    "Chen",
    "Berg",
    "Ndiaye",
]
ORGANISATIONS = [
    "Ministry of Digital Economy",
    "National Identity Authority",
    "Social Protection Agency",
    "Ministry of Health",
    "Revenue Service",
    "eGovernment Agency",
]
USERS_PER_SCALE = 20


def seed_users(context: SeedContext) -> str:
    """Create `20 × scale` demo users (idempotent by e-mail); all share one unusable-for-login password."""
    user_model = get_user_model()
    rng = context.rng
    roles = list(Role.objects.all())
    country_codes = [code for code, _name in countries]
    total = USERS_PER_SCALE * context.scale
    emails = [f"demo{i:05d}@example.org" for i in range(total)]
    existing = set(user_model.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password(None)
    new_users = []
    for i, email in enumerate(emails):
        if email in existing:
            continue
        first, last = rng.choice(FIRST), rng.choice(LAST)
        role = rng.choice(roles) if roles and rng.random() < 0.85 else None
        new_users.append(
            user_model(
                username=f"demo{i:05d}",
                email=email,
                password=password,
                first_name=first,
                last_name=last,
                display_name=f"{first} {last[0]}.",
                country=rng.choice(country_codes),
                organisation=rng.choice(ORGANISATIONS),
                team_role=role,
                team_role_other="" if role else "Policy adviser",
                preferred_language=rng.choice(["en", "en", "fr"]),
            )
        )
    for user in new_users:
        user.set_handle_keys()  # bulk_create skips save(), which derives them
    user_model.objects.bulk_create(new_users, batch_size=500)
    context.users = list(user_model.objects.filter(email__in=emails).order_by("pk"))
    return f"{len(new_users)} demo users created ({total} in all)"
