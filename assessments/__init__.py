"""Scoring, reliance and calibration metrics, competency model, blueprints, item analysis."""
