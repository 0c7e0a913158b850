"""Xã Số — a digital commune platform for Vietnamese communes and wards."""
