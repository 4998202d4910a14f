#define _GNU_SOURCE
#include "CSightlineSupport.h"

#include <fcntl.h>

int sightline_start_writeback(int descriptor) {
    return sync_file_range(descriptor, 0, 0, SYNC_FILE_RANGE_WRITE);
}
