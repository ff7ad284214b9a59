"""Resources: micro-course videos, courseware, textbooks and citizen readers, with versions."""
