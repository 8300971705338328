"""Imports every module that registers dispatcher finders."""
