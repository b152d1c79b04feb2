"""The RNN Zoo lab: `python demo.py [--host 127.0.0.1] [--port 7860] [--no-mcp]`."""
from zoo_lab.app import main

if __name__ == "__main__":
    main()
