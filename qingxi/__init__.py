"""The domain of Qingxi Guardian, one package per area, no Streamlit anywhere:
core (shared pieces), reports, proposals, cleanups, accounts, ops. See ARCHITECTURE.md."""
