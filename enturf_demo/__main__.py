"""`python -m enturf_demo`: what `make run` starts."""

from enturf_demo.launcher import main

if __name__ == "__main__":
    main()
