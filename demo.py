"""The RNN Zoo lab: `python demo.py [--host 127.0.0.1] [--port 7860] [--no-mcp]`."""

if __name__ == "__main__":
    # Imported here, not above: every backend's worker process is spawned and re-runs this file's top
    # level (as multiprocessing does for a script), and a worker has no use for Gradio.
    from zoo_lab.app import main

    main()
