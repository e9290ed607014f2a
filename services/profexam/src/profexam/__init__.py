"""The profexam service: occupational exams of organisations' employees (PRO-1 … PRO-6)."""
