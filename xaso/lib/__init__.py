"""Model-free helpers shared by every app (no Django models here)."""
