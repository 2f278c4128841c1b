"""Helpers for driving the real two-step sign-in in tests."""

from django.urls import reverse
from django_otp.oath import TOTP

from tests.factories import TEST_PASSWORD


def current_code(device, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def password_step(client, email: str, password: str = TEST_PASSWORD, **extra):
    return client.post(reverse("alexi:sign_in"), {"email": email, "password": password}, **extra)


def code_step(client, code: str, **extra):
    return client.post(reverse("alexi:second_factor"), {"code": code}, **extra)
