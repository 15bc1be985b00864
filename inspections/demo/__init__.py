"""The demo scenario: the district's rectification work from 2018 to December 2022, as the
source report tells it, played through the services on a fixed clock (see `load`)."""
