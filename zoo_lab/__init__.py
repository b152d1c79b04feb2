"""The Gradio lab: the UI layer over zoo.workbench. Nothing in the core imports it."""
