"""The pure core: no network, no Flask, no PyGithub. Text in, findings and plans out."""
