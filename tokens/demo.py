"""Demo tokens in every colour, agents of every type and one suspicious agent
token. Values are discarded: nobody can use a demo token (create your own)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from tokens import services
from tokens.models import Agent, AgentStatus, AgentType, ApiToken

DEMO_TOKENS = [
    # name, owner login, days since creation, days since last use (None = never), days until expiry: each
    # created before it was last used, expiring 30 days after its last use (or its creation, if never used)
    ("Provisioning sync", "svc-provisioning@warden.test", 120, 0, 30),
    ("Terraform", "admin@warden.test", 64, 1, 29),
    ("Reporting export", "svc-reporting@warden.test", 210, 5, 25),
    ("Old backup script", "olivia.org@warden.test", 400, 25, 5),
    ("Group import", "gary.group@warden.test", 18, None, 12),
]


def load(out) -> None:
    now = timezone.now()
    for name, login, created_days_ago, used_days_ago, expires_in in DEMO_TOKENS:
        if ApiToken.objects.filter(name=name).exists():
            continue
        owner = User.objects.get(login=login)
        token, _value = services.token_create(owner=owner, name=name)
        ApiToken.objects.filter(pk=token.pk).update(
            created=now - timedelta(days=created_days_ago),
            last_used=None if used_days_ago is None else now - timedelta(days=used_days_ago),
            expires_at=now + timedelta(days=expires_in),
        )
    admin = User.objects.get(login="admin@warden.test")
    for agent_type in AgentType:
        name = f"{agent_type.label} on dc1"
        agent = Agent.objects.filter(name=name).first()
        if agent is None:
            agent = Agent.objects.create(type=agent_type, name=name, host=f"{agent_type.value.lower()}-dc1.corp.test")
            services.agent_activate(agent=agent, by=admin)
    stray = Agent.objects.filter(name="Okta AD Agent on retired-dc").first()
    if stray is None:
        stray = Agent.objects.create(type=AgentType.AD, name="Okta AD Agent on retired-dc", host="retired-dc.corp.test")
        services.agent_activate(agent=stray, by=admin)
        stray.status = AgentStatus.INACTIVE  # left with its token, then unregistered: suspicious
        stray.save()
        services.agent_unregister(agent=stray)
    out.write(f"Tokens: {ApiToken.objects.active().count()} active, agents: {Agent.objects.count()}")
