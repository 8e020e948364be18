#!/bin/sh
# No service starts inside an image build or a container: packages' postinst scripts ask here.
exit 101
